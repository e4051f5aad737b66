-- re_test.lua — sws.re: PCRE2 regular expressions (UTF-8, limits, Lua-style API).

local re = sws.re

-- the values of a call, as a table (n = how many)
local function pack(...)
    return {n = select("#", ...), ...}
end

test("compile returns a regex with methods and a readable name", function()
    local r = re.compile("(\\d+)-(\\d+)", "i")
    assert_eq(tostring(r), "sws.re.regex(/(\\d+)-(\\d+)/i)")
    assert_eq(type(r.match), "function")
    assert_eq(getmetatable(r), "sws.re.regex", "the metatable is locked")
end)

test("match returns the captures, or the whole match, or nil", function()
    local r = re.compile("(\\d+)-(\\d+)")
    local a, b = r:match("tel 0577-8888 x")
    assert_eq(a, "0577")
    assert_eq(b, "8888")
    assert_eq(re.compile("\\d+"):match("ab 123 cd"), "123")
    assert_eq(r:match("no digits"), nil)
    local v = pack(r:match("no digits"))
    assert_eq(v.n, 1)
end)

test("a group that takes no part is false", function()
    local a, b, c = re.match("ac", "(a)(b)?(c)")
    assert_eq(a, "a")
    assert_eq(b, false)
    assert_eq(c, "c")
end)

test("find gives 1-based inclusive byte positions, then the captures", function()
    local s, e = re.find("温州市鹿城区", "鹿城")
    assert_eq(s, 10)
    assert_eq(e, 15)
    assert_eq(("温州市鹿城区"):sub(s, e), "鹿城")
    local v = pack(re.find("x=12", "(\\w)=(\\d+)"))
    assert_eq(v.n, 4)
    assert_eq(v[1], 1)
    assert_eq(v[2], 4)
    assert_eq(v[3], "x")
    assert_eq(v[4], "12")
    assert_eq(re.find("abc", "z"), nil)
    -- like string.find
    local s1, e1 = ("hello"):find("l")
    local s2, e2 = re.find("hello", "l")
    assert_eq(s2, s1)
    assert_eq(e2, e1)
end)

test("init is a byte index, negative from the end, past the end gives nil", function()
    assert_eq(re.find("abcabc", "b", nil, 3), 5)
    assert_eq(re.compile("b"):find("abcabc", -2), 5)
    assert_eq(re.compile("b"):find("abcabc", -100), 2)
    assert_eq(re.compile("c"):match("abc", 4), nil)
    assert_eq(re.compile("$"):find("abc", 4), 4)
    assert_eq(re.compile(""):find("abc", 5), nil)
    assert_eq(re.match("温州", "."), "温")
    assert_eq(re.match("温州", ".", "", 4), "州")
end)

test("an init inside a UTF-8 character is an error", function()
    assert_error(function() re.match("温州", ".", "", 2) end, "inside a UTF%-8 character")
end)

test("UTF mode with Unicode properties: . and \\w see characters", function()
    assert_eq(re.match("温州 市", "\\w+"), "温州")
    assert_eq(re.match("温州市", "^.{3}$"), "温州市")
    assert_eq(re.match("ÄÖ", "ä", "i"), "Ä")
end)

test("\\d matches full-width digits; [0-9] only ASCII ones", function()
    assert_eq(re.match("电话１２３", "\\d+"), "１２３")
    assert_eq(re.match("电话１２３", "[0-9]+"), nil)
    assert_eq(re.match("电话123", "[0-9]+"), "123")
end)

test("flags i, m, s, x; u is implied", function()
    assert_true(re.test("ABC", "abc", "i"))
    assert_true(not re.test("ABC", "abc"))
    assert_eq(re.match("a\nb", "^b$", "m"), "b")
    assert_eq(re.match("a\nb", "^b$"), nil)
    assert_eq(re.match("a\nb", "a.b", "s"), "a\nb")
    assert_eq(re.match("a\nb", "a.b"), nil)
    assert_eq(re.match("abc", " a b  c # comment", "x"), "abc")
    assert_eq(re.match("温", ".", "u"), "温")
    assert_eq(tostring(re.compile("a", "xsmiu")), "sws.re.regex(/a/imsx)")
    assert_error(function() re.compile("a", "q") end, "unknown regex flag 'q'")
end)

test("gmatch yields captures or whole matches, like string.gmatch", function()
    local keys, vals = {}, {}
    for k, v in re.gmatch("a=1, bb=22, 温=3", "(\\w+)=(\\d+)") do
        keys[#keys + 1] = k
        vals[#vals + 1] = v
    end
    assert_eq(table.concat(keys, ","), "a,bb,温")
    assert_eq(table.concat(vals, ","), "1,22,3")
    local words = {}
    for w in re.compile("\\d+"):gmatch("1 22 333") do
        words[#words + 1] = w
    end
    assert_eq(table.concat(words, "|"), "1|22|333")
end)

test("gmatch over characters of Chinese text", function()
    local chars = {}
    for c in re.gmatch("温州市", ".") do
        chars[#chars + 1] = c
    end
    assert_eq(#chars, 3)
    assert_eq(chars[3], "市")
end)

test("empty matches advance by one UTF-8 character", function()
    local n = 0
    for m in re.gmatch("温州市", "") do
        n = n + 1
        assert_eq(m, "")
    end
    assert_eq(n, 4, "one empty match before each character and one at the end")
    -- where they are: each found from the byte after the previous one
    local positions, init = {}, 1
    repeat
        local s = re.find("温州市", "x*", nil, init)
        positions[#positions + 1] = s
        init = s + 3
    until init > 10
    assert_eq(table.concat(positions, ","), "1,4,7,10")
    -- the same count as string.gmatch gives for ASCII
    local lua_n, re_n = 0, 0
    for _ in ("abc"):gmatch("") do lua_n = lua_n + 1 end
    for _ in re.gmatch("abc", "") do re_n = re_n + 1 end
    assert_eq(re_n, lua_n)
end)

test("gmatch follows Lua 5.4: no empty match right after a match", function()
    local got = {}
    for w in re.gmatch("温州 市", "\\w*") do
        got[#got + 1] = "[" .. w .. "]"
    end
    local want = {}
    for w in ("ab c"):gmatch("%w*") do
        want[#want + 1] = "[" .. (w == "ab" and "温州" or w == "c" and "市" or w) .. "]"
    end
    assert_eq(table.concat(got), table.concat(want))
end)

test("gsub with a template: %0-%9, %{name}, %{n}, %%", function()
    local s, n = re.gsub("2024-03-05", "(\\d+)-(\\d+)-(\\d+)", "%3/%2/%1")
    assert_eq(s, "05/03/2024")
    assert_eq(n, 1)
    assert_eq(re.gsub("2024-03-05", "(?<y>\\d{4})-(?<m>\\d\\d)", "%{m}.%{y}"), "03.2024-05")
    assert_eq(re.gsub("abc", "b", "[%0%%]"), "a[b%]c")
    assert_eq(re.gsub("abc", "(b)", "%{1}%{0}"), "abbc")
    assert_eq(re.gsub("abc", "b", "<%1>"), "a<b>c", "%1 is the whole match without groups")
    assert_eq(re.gsub("ac", "a(x)?", "[%1]"), "[]c", "an unset group is empty")
    assert_eq(re.gsub("abc", "b", 7), "a7c", "a number is a template")
end)

test("gsub template errors", function()
    assert_error(function() re.gsub("abc", "(b)", "%2") end, "invalid capture index %%2")
    assert_error(function() re.gsub("abc", "(b)", "%{nope}") end, "unknown group name 'nope'")
    assert_error(function() re.gsub("abc", "(b)", "%q") end, "invalid use of '%%'")
    assert_error(function() re.gsub("abc", "(b)", "x%") end, "invalid use of '%%'")
    assert_error(function() re.gsub("abc", "(b)", "%{1") end, "invalid group reference")
    assert_error(function() re.gsub("abc", "b", true) end, "string/function/table expected")
end)

test("gsub with a table, by first capture or whole match", function()
    local names = {["330302"] = "鹿城区", ["330303"] = "龙湾区"}
    local s, n = re.gsub("330302,330303,330399", "\\d+", names)
    assert_eq(s, "鹿城区,龙湾区,330399")
    assert_eq(n, 3, "every match counts, even when kept")
    assert_eq(re.gsub("a=1 b=2", "(\\w)=\\d", {a = "A"}), "A b=2")
    assert_eq(re.gsub("x", "x", {x = false}), "x")
    assert_error(function() re.gsub("x", "x", {x = {}}) end, "invalid replacement value %(a table%)")
end)

test("gsub with a function; nil or false keeps the match", function()
    local s = re.gsub("温州 2024 年", "(\\d+)", function(y) return tostring(tonumber(y) + 1) end)
    assert_eq(s, "温州 2025 年")
    assert_eq(re.gsub("a1b2", "\\d", function() return nil end), "a1b2")
    assert_eq(re.gsub("a1b2", "(\\w)(\\d)", function(l, d) return d .. l end), "1a2b")
    assert_eq(re.gsub("a1b2", "\\d", function(d) return d == "1" and "one" end), "aoneb2")
end)

test("gsub matches the semantics of string.gsub on empty matches", function()
    assert_eq(select(1, re.gsub("温州市", "", "-")), "-温-州-市-")
    assert_eq(select(2, re.gsub("温州市", "", "-")), 4)
    for _, s in ipairs({"abc", "hello world", "", "a  b"}) do
        local want, wn = s:gsub("%w*", "-")
        local got, gn = re.gsub(s, "\\w*", "-")
        assert_eq(got, want, s)
        assert_eq(gn, wn, s)
    end
end)

test("gsub with a maximum count", function()
    local s, n = re.gsub("aaaa", "a", "b", 2)
    assert_eq(s, "bbaa")
    assert_eq(n, 2)
    assert_eq(re.compile("a"):gsub("aaaa", "b", 0), "aaaa")
    assert_eq(re.gsub("AaA", "a", "x", nil, "i"), "xxx")
end)

test("a gsub callback may use the same regex", function()
    local r = re.compile("(\\d)(\\d)")
    local s = r:gsub("12 34 56", function(a, b)
        local x, y = r:match("98")
        return b .. a .. x .. y
    end)
    assert_eq(s, "2198 4398 6598")
end)

test("many groups (offsets kept outside the C stack)", function()
    local pat = string.rep("(.)", 20)
    local subject = "abcdefghijklmnopqrst"
    local v = pack(re.match(subject, pat))
    assert_eq(v.n, 20)
    assert_eq(v[20], "t")
    assert_eq(re.gsub(subject, pat, "%9%{20}"), "it")
    local n = 0
    for a in re.gmatch(subject .. subject, pat) do
        n = n + 1
        assert_eq(a, "a")
    end
    assert_eq(n, 2)
end)

test("named groups", function()
    local t = re.named("身份证 330302199001011234", "(?<area>\\d{6})(?<birth>\\d{8})(?<rest>\\d{3}[\\dX])(?<x>x)?")
    assert_eq(t.area, "330302")
    assert_eq(t.birth, "19900101")
    assert_eq(t.rest, "1234")
    assert_eq(t.x, nil, "a group that took no part is absent")
    assert_eq(re.named("abc", "(?<d>\\d)"), nil)
    local r = re.compile("(?<k>\\w+)=(?<v>\\w+)")
    assert_eq(r:named("a=1 b=2", 5).k, "b")
    local empty = re.named("abc", "b")
    assert_eq(next(empty), nil)
end)

test("test returns a boolean", function()
    assert_eq(re.test("abc", "b"), true)
    assert_eq(re.test("abc", "d"), false)
    assert_eq(re.compile("^1[3-9]\\d{9}$"):test("13812345678"), true)
    assert_eq(re.compile("^1[3-9]\\d{9}$"):test("12812345678"), false)
end)

test("an invalid pattern names its offset", function()
    assert_error(function() re.compile("a(b") end, "invalid pattern at offset 3: missing closing parenthesis")
    assert_error(function() re.match("x", "[z-a]") end, "invalid pattern at offset %d+: range out of order")
    assert_error(function() re.compile("a\\C") end, "invalid pattern at offset")
end)

test("a catastrophic pattern stops at the match limit", function()
    local subject = string.rep("a", 37) .. "b"
    assert_error(function() re.match(subject, "(a+)+$") end, "regular expression: match limit exceeded")
    local r = re.compile("(a+)+$")
    assert_error(function() r:test(subject) end, "match limit exceeded %(/%(a%+%)%+%$/")
    assert_error(function() r:gsub(subject, "x") end, "match limit exceeded")
    -- the regex still works afterwards
    assert_eq(r:match("aaa"), "aaa")
end)

test("a subject that is not UTF-8 is an error naming the byte", function()
    assert_error(function() re.match("ab\255c", "c") end, "invalid UTF%-8 in subject at byte 3")
    assert_error(function() re.gsub("温\228\184", ".", "x") end, "invalid UTF%-8 in subject at byte 4")
    assert_error(function() for _ in re.gmatch("a\192", ".") do end end, "invalid UTF%-8")
end)

test("module functions accept a compiled regex and use a bounded cache", function()
    local r = re.compile("b+")
    assert_eq(re.match("abbc", r), "bb")
    for i = 1, 600 do
        assert_eq(re.match("x" .. i .. "y", "x(" .. i .. ")y"), tostring(i))
    end
    assert_eq(re.match("x1y", "x(1)y"), "1")
    collectgarbage()
    assert_eq(re.match("x1y", "x(1)y"), "1")
end)

test("methods check their receiver", function()
    local r = re.compile("a")
    assert_error(function() r.match("abc") end, "sws%.re%.regex expected")
    assert_error(function() re.match(nil, "a") end, "bad argument #1")
end)
