-- expect: loadfile
loadfile("/etc/passwd")
