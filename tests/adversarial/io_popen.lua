-- expect: io.popen is not allowed
io.popen("id")
