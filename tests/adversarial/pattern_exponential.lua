-- expect: use sws.re
-- Lua's matcher cannot be interrupted inside one C call: a costly pattern on a long subject is refused.
local s = string.rep("a", 20000)
s:find(".-.-.-.-b")
