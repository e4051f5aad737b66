-- expect: binary chunks
load("\27Lua\84\0")
