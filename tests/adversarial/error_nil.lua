-- expect: error called with nil
error(nil)
