-- expect: error called with a table value
error({code = 42})
