-- More mistakes: wrong types, a value below the city's bound, a transition to
-- an unknown stage, a dead end, a missing guard and an invalid cron.
return sws.policy.extend("default", {
  name = "339998",
  version = "2024.1",
  standards = {
    min_training_hours = 30,
    max_age = "45",
  },
  workflow = {
    stages = {
      operating = { label = "运营服务", next = { "midterm", "closing" } },
      archived = { label = "归档" },
    },
    enter = { accepted = { "area", "rooms", "sign", "fire_drill" } },
  },
  schedule = { { cron = "0 25 * * *", job = "weekly_compliance" } },
})
