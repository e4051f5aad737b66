-- expect: os.remove is not allowed
os.remove("/tmp/x")
