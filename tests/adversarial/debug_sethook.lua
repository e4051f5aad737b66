-- expect: debug.sethook is not allowed
debug.sethook()
