-- expect: read%-only
rawset(string, "format", print)
