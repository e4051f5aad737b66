-- expect: module names
require("../../etc/passwd")
