-- text_test.lua — sws.text: widths in terminal columns and padding, so that
-- tables of Chinese text align.

test("width counts a Chinese character as two columns", function()
    assert_eq(sws.text.width(""), 0)
    assert_eq(sws.text.width("abc"), 3)
    assert_eq(sws.text.width("鹿城区"), 6)
    assert_eq(sws.text.width("五马街道 station"), 16)
end)

test("pad fills to the width in columns, left or right", function()
    assert_eq(sws.text.pad("鹿城区", 10), "鹿城区    ")
    assert_eq(sws.text.pad("鹿城区", 10, "right"), "    鹿城区")
    assert_eq(sws.text.pad("ab", 4), "ab  ")
    -- two names of different byte lengths line up
    assert_eq(sws.text.width(sws.text.pad("龙港市", 12)), sws.text.width(sws.text.pad("Longgang", 12)))
    -- never cut
    assert_eq(sws.text.pad("温州市鹿城区", 4), "温州市鹿城区")
end)

test("plural agrees with the count", function()
    assert_eq(sws.text.plural(1, "station", "stations"), "station")
    assert_eq(sws.text.plural(0, "station", "stations"), "stations")
    assert_eq(sws.text.plural(3, "station", "stations"), "stations")
    assert_eq(sws.text.plural(1.5, "station", "stations"), "stations")
    assert_error(function() sws.text.plural(1, "station") end, "string expected")
end)

test("pad refuses a bad width or alignment", function()
    assert_error(function() sws.text.pad("x", -1) end, "width")
    assert_error(function() sws.text.pad("x", 3, "middle") end, "invalid option")
end)
