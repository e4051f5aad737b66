-- The patterns a county wants imported rows to follow, by import kind and
-- column. A county administrator edits this file: each rule names the column,
-- a PCRE2 pattern the value must match (`must`) or must not match
-- (`must_not`), and the message shown when it does not. Rules under a county
-- code apply to rows of that county's stations only; rules under "*" apply
-- everywhere. Empty values are left to the import's own "required" rule.
return {
  ["*"] = {
    stations = {
      { column = "name", must = "社会工作站$",
        message = "a station's name ends with 社会工作站 (the sign reads ×××社会工作站)" },
    },
    services = {
      { column = "description",
        must_not = "迎检|台账|统计报表|中心工作会议",
        message = "township administrative chores are not services (行政性事务不得列入服务内容)" },
    },
  },
  -- 鹿城区: certificate numbers are recorded in the provincial format.
  ["330302"] = {
    workers = {
      { column = "certificate_no", must = "^ZJ-SW-",
        message = "鹿城区 records certificate numbers as ZJ-SW-…" },
    },
  },
}
