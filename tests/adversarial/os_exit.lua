-- expect: os.exit is not allowed
os.exit(0)
