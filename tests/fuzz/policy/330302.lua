-- policies/330302.lua — 鹿城区 (Lucheng District).
--
-- Starts from the city policy (policies/default.lua) and changes only what is
-- written here. Lucheng is the city centre: stations are busier, so it asks
-- more than the city does — a larger station, more training, more time in the
-- communities, and one more resident worker than the city formula.
-- The city's bounds (end of default.lua) allow raising these, not lowering them.
return sws.policy.extend("default", {
  name = "330302",
  version = "2024.1",

  standards = {
    min_area_m2 = 120,            -- city: 100 m²
    min_training_hours = 48,      -- city: 40 hours a year
    min_community_share = 0.65,   -- city: 60 %
    min_resident_workers = 4,     -- city: 3
  },

  -- 4, plus one for every 30,000 residents and one for every 800 service
  -- objects, never more than 8 (the city: 3 + 1 per 40,000 + 1 per 1,000).
  staffing = function(t)
    local n = 4 + (t.population or 0) // 30000 + (t.service_objects or 0) // 800
    return math.max(4, math.min(8, n))
  end,

  -- Services weigh more and facilities less in Lucheng's evaluation
  -- (each may move at most 5 points from the city's weight; the sum stays 100).
  indicators = {
    weights = { services = 35, facilities = 10 },
  },
})
