-- Tests of the import_rules plugin through real imports.
local function divisions()
  fixture.import("counties", "code,name\n330302,鹿城区\n330303,龙湾区\n")
  fixture.import("townships", "code,name,county_code\n330302006,五马街道,330302\n330303001,永中街道,330303\n")
end

test("a station whose name does not end with 社会工作站 is refused, naming the rule", function()
  divisions()
  local err = assert_error(function()
    fixture.import("stations", "code,name\n330302006,五马街道社会工作站\n330303001,永中街道服务中心\n")
  end, "ends with 社会工作站")
  assert_true(err:find(":3:"), "the bad line is named: " .. err)
  assert_eq(#sws.db.query("SELECT * FROM station"), 0, "nothing stored")
end)

test("administrative chores logged as services are refused", function()
  divisions()
  fixture.import("stations", "code,name\n330302006,五马街道社会工作站\n")
  assert_error(function()
    fixture.import("services", "station,date,domain,method,hours,description\n" ..
      "330302006,2022-03-01,elderly_care,case,2,独居老人探访\n" ..
      "330302006,2022-03-02,civil_affairs,community,3,协助乡镇整理迎检台账材料\n")
  end, "administrative chores")
  assert_eq(#sws.db.query("SELECT * FROM service_record"), 0)
end)

test("county rules apply only to their county", function()
  divisions()
  fixture.import("stations", "code,name\n330302006,五马街道社会工作站\n330303001,永中街道社会工作站\n")
  -- 龙湾区 has no certificate rule; 鹿城区 has
  fixture.import("workers", "code,station,name,role,certificate_no\nW1,330303001,甲,resident,A-1\n")
  assert_error(function()
    fixture.import("workers", "code,station,name,role,certificate_no\nW2,330302006,乙,resident,A-2\n")
  end, "county 330302")
  assert_eq(#sws.db.query("SELECT * FROM worker"), 1)
end)
