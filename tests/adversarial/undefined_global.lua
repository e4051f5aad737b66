-- expect: undefined global
print(no_such_variable)
