-- json_test.lua — sws.json: encode/decode, deterministic output, null, errors.

local json = sws.json

-- deep equality of plain values (tables compared by their keys and values)
local function same(a, b)
    if type(a) ~= "table" or type(b) ~= "table" then
        return a == b and math.type(a) == math.type(b)
    end
    for k, v in pairs(a) do
        if not same(v, b[k]) then return false end
    end
    for k in pairs(b) do
        if a[k] == nil then return false end
    end
    return true
end

local function assert_same(actual, expected, msg)
    assert_true(same(actual, expected), (msg or "values differ") .. ": got " .. json.encode(actual)
        .. ", expected " .. json.encode(expected))
end

test("scalars", function()
    assert_eq(json.encode(true), "true")
    assert_eq(json.encode(false), "false")
    assert_eq(json.encode(42), "42")
    assert_eq(json.encode(-7), "-7")
    assert_eq(json.encode(1.5), "1.5")
    assert_eq(json.encode(0.1), "0.1")
    assert_eq(json.encode("x"), '"x"')
    assert_eq(json.encode(json.null), "null")
    assert_eq(json.encode(nil), "null")
end)

test("integers are written exactly", function()
    assert_eq(json.encode(math.maxinteger), "9223372036854775807")
    assert_eq(json.encode(math.mininteger), "-9223372036854775808")
    assert_eq(json.encode((1 << 53) + 1), "9007199254740993")
    assert_eq(json.encode(3.0), "3", "a whole float is written as an integer")
end)

test("strings are escaped, Chinese stays UTF-8", function()
    assert_eq(json.encode('a"b\\c\n\t'), '"a\\"b\\\\c\\n\\t"')
    assert_eq(json.encode("\1"), '"\\u0001"')
    assert_eq(json.encode({name = "温州市鹿城区"}), '{"name":"温州市鹿城区"}')
    assert_eq(json.decode('"\\u6e29\\u5dde"'), "温州")
    assert_eq(json.decode('"\\ud83d\\ude00"'), "😀")
end)

test("objects have sorted keys, arrays keep order", function()
    assert_eq(json.encode({b = 1, a = 2, c = {3, 4}}), '{"a":2,"b":1,"c":[3,4]}')
    assert_eq(json.encode({z = {y = 1, x = 2}, ["县"] = 1, ["区"] = 2, A = 0}),
        '{"A":0,"z":{"x":2,"y":1},"区":2,"县":1}')
    -- deterministic: the same table always gives the same text
    local t = {}
    for i = 1, 50 do t["k" .. i] = i end
    local first = json.encode(t)
    for _ = 1, 5 do assert_eq(json.encode(t), first) end
    assert_true(first:find('^{"k1":1,"k10":10,"k11":11,'), first)
end)

test("nested arrays", function()
    assert_eq(json.encode({{1, 2}, {3, {4, {}}}}), "[[1,2],[3,[4,{}]]]")
    local v = json.decode("[[1,2],[3,[4,[]]],[]]")
    assert_eq(#v, 3)
    assert_eq(v[2][2][1], 4)
    assert_eq(#v[2][2][2], 0)
    assert_eq(json.encode(v), "[[1,2],[3,[4,[]]],[]]")
end)

test("what is an array and what an object", function()
    assert_eq(json.encode({}), "{}")
    assert_eq(json.encode(json.array()), "[]")
    assert_eq(json.encode(json.array({1, 2})), "[1,2]")
    assert_eq(json.encode(setmetatable({}, {__jsontype = "array"})), "[]")
    assert_eq(json.encode(setmetatable({1, 2}, {__jsontype = "object"})), '{"1":1,"2":2}')
    assert_eq(json.encode({[1] = "a", [3] = "c"}), '{"1":"a","3":"c"}', "a sparse table is an object")
    assert_eq(json.encode({"a", x = 1}), '{"1":"a","x":1}', "a mixed table is an object")
    assert_eq(json.encode({[0] = "z"}), '{"0":"z"}')
    assert_error(function() json.encode(setmetatable({x = 1}, {__jsontype = "array"})) end,
        "marked as a JSON array")
    assert_error(function() json.encode(setmetatable({}, {__jsontype = "list"})) end,
        "__jsontype must be")
    assert_error(function() json.encode({[1] = "a", ["1"] = "b"}) end, 'duplicate key "1"')
end)

test("decode: objects, arrays, numbers", function()
    local v = json.decode('{"name":"张三","age":46,"score":98.5,"tags":["a","b"],"ok":true,"no":false}')
    assert_eq(v.name, "张三")
    assert_eq(v.age, 46)
    assert_eq(math.type(v.age), "integer")
    assert_eq(v.score, 98.5)
    assert_eq(v.tags[2], "b")
    assert_eq(v.ok, true)
    assert_eq(v.no, false)
    assert_eq(math.type(json.decode("1e3")), "integer")
    assert_eq(json.decode("-0.25"), -0.25)
    assert_eq(json.decode("  [ ]  ")[1], nil)
end)

test("null is sws.json.null, in objects and arrays", function()
    assert_eq(json.decode("null"), json.null)
    assert_eq(json.decode('{"a":null}').a, json.null)
    local arr = json.decode("[1,null,3]")
    assert_eq(#arr, 3)
    assert_eq(arr[2], json.null)
    assert_eq(json.encode(arr), "[1,null,3]")
    assert_eq(json.encode({a = json.null}), '{"a":null}')
    assert_true(json.null ~= nil)
end)

test("round trips", function()
    local values = {
        {name = "温州市", code = "330300", districts = {"鹿城区", "龙湾区", "瓯海区"},
         population = 9573000, ratio = 0.25, active = true,
         workers = {{id = 1, skills = {"焊工", "电工"}}, {id = 2, skills = json.array()}},
         deep = {{{{"x"}}}}},
        {1, 2, 3, {4, 5, {6}}},
        "纯文本",
        12345,
        {},
    }
    for i, v in ipairs(values) do
        local text = json.encode(v)
        assert_same(json.decode(text), v, "value " .. i)
        assert_eq(json.encode(json.decode(text)), text, "text of value " .. i)
        local pretty = json.encode(v, {indent = true})
        assert_same(json.decode(pretty), v, "indented value " .. i)
    end
end)

test("indent gives several lines", function()
    local text = json.encode({a = {1, 2}, b = "x"}, {indent = true})
    assert_true(text:find("\n"), text)
    assert_eq(json.encode({a = 1}, {indent = false}), '{"a":1}')
end)

test("encode errors", function()
    assert_error(function() json.encode(0 / 0) end, "NaN or infinity")
    assert_error(function() json.encode({x = math.huge}) end, "NaN or infinity %(at %$%.x%)")
    assert_error(function() json.encode({f = print}) end, "cannot encode a function value %(at %$%.f%)")
    assert_error(function() json.encode({list = {1, sws.re.compile("a")}}) end,
        "cannot encode a userdata value %(at %$%.list%[2%]%)")
    assert_error(function() json.encode({[true] = 1}) end, "table key of type boolean")
    assert_error(function() json.encode({[1.5] = 1}) end, "table key of type number")
    assert_error(function() json.encode({[{}] = 1}) end, "table key of type table")
    assert_error(function() json.encode("a\0b") end, "NUL byte")
    assert_error(function() json.encode({s = "ab\255"}) end, "not valid UTF%-8 %(byte 3%)")
    assert_error(function() json.encode({1}, "indent") end, "bad argument #2")
end)

test("cycles and deep nesting are refused", function()
    local t = {}
    t.self = t
    assert_error(function() json.encode(t) end, "cycle or nesting too deep")
    local a = {}
    a[1] = {a}
    assert_error(function() json.encode(a) end, "cycle or nesting too deep")
    local deep = {}
    for _ = 1, 150 do deep = {deep} end
    assert_error(function() json.encode(deep) end, "cycle or nesting too deep")
    local ok = {}
    for _ = 1, 50 do ok = {ok} end
    assert_eq(#json.encode(ok), 50 * 2 + 2)
end)

test("decode errors name the byte", function()
    assert_error(function() json.decode('{"a":}') end, "invalid JSON near byte 6")
    assert_error(function() json.decode("[1,2") end, "invalid JSON near byte 5")
    assert_error(function() json.decode("") end, "invalid JSON near byte 1")
    assert_error(function() json.decode("[1] x") end, "invalid JSON near byte 5")
    assert_error(function() json.decode("{'a':1}") end, "invalid JSON near byte [23]")
    assert_error(function() json.decode('"\\u0000"') end, "invalid JSON near byte 2")
    assert_error(function() json.decode('"ab\255"') end, "invalid UTF%-8 in JSON text at byte 4")
    assert_error(function() json.decode(nil) end, "bad argument #1")
end)

test("decoded arrays are marked, with a locked metatable", function()
    local arr = json.decode("[]")
    assert_eq(getmetatable(arr), "sws.json.array")
    assert_eq(getmetatable(json.decode("{}")), nil)
    assert_error(function() setmetatable(arr, {}) end, "protected metatable")
end)
