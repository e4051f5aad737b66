-- expect: invalid option
collectgarbage("stop")
