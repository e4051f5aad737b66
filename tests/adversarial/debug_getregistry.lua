-- expect: debug.getregistry is not allowed
debug.getregistry()
