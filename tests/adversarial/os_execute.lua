-- expect: os.execute is not allowed
os.execute("echo escaped")
