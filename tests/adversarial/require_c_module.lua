-- expect: not found
require("socket")
