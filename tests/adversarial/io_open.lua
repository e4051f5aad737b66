-- expect: io.open is not allowed
io.open("/etc/passwd")
