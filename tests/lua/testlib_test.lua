-- testlib_test.lua — the test library itself: assert_eq compares tables by
-- their contents and shows the keys that differ, with both values.

test("assert_eq passes tables with the same contents", function()
    assert_eq({ a = 1, b = { c = "x", d = { 1, 2 } } }, { a = 1, b = { c = "x", d = { 1, 2 } } })
    assert_eq({}, {})
end)

test("assert_eq on tables lists each key that differs with both values", function()
    local err = assert_error(function()
        assert_eq({ a = 1, b = { c = 2 }, list = { 1, 2, 3 } },
                  { a = 1, b = { c = 3 }, d = "x", list = { 1, 2 } }, "the station")
    end)
    assert_true(err:find("the station: tables differ in 3 keys:", 1, true), err)
    assert_true(err:find("\n  b.c: expected 3, got 2", 1, true), err)
    assert_true(err:find("\n  d: expected \"x\", got nil", 1, true), err)
    assert_true(err:find("\n  list[3]: expected nil, got 3", 1, true), err)
    assert_true(not err:find(" a: ", 1, true), "a key that agrees is not listed: " .. err)
end)

test("assert_eq on tables: a table against a value, and a long diff cut at 20 keys", function()
    local err = assert_error(function() assert_eq({ t = {} }, { t = 1 }) end)
    assert_true(err:find("t: expected 1, got {…}", 1, true), err)
    local a, b = {}, {}
    for i = 1, 25 do a[i], b[i] = i, -i end
    err = assert_error(function() assert_eq(a, b) end)
    assert_true(err:find("tables differ in 25 keys", 1, true), err)
    assert_true(err:find("… and 5 more", 1, true), err)
    assert_true(not err:find("[21]", 1, true), err)
end)

test("assert_eq on a table and a value compares them as values", function()
    local err = assert_error(function() assert_eq({}, "x") end)
    assert_true(err:find("expected \"x\", got table", 1, true), err)
end)
