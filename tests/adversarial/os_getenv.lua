-- expect: os.getenv is not allowed
print(os.getenv("HOME"))
