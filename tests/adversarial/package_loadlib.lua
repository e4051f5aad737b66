-- expect: package.loadlib
package.loadlib("libc.so.6", "system")
