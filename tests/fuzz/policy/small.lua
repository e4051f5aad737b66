return sws.policy.extend("default", { name = "x", version = "1", facilities = { min_area_m2 = 120 } })
