-- expect: table expected
setmetatable("", {})
