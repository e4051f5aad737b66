-- csv_test.lua — sws.csv.cell: the core's CSV cell for Lua (formulas
-- neutralized, quoting only where needed, numbers as numbers).

test("cell neutralizes formulas by the core's rule", function()
    assert_eq(sws.csv.cell("=SUM(A1:A3)"), "'=SUM(A1:A3)")
    assert_eq(sws.csv.cell("+1+2"), "'+1+2")
    assert_eq(sws.csv.cell("@cmd"), "'@cmd")
    assert_eq(sws.csv.cell("\tcmd"), "'\tcmd")
    assert_eq(sws.csv.cell("\rcmd"), "\"'\rcmd\"")
    assert_eq(sws.csv.cell('=HYPERLINK("http://x","y")'), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
    -- a plain number written as text is not a formula
    assert_eq(sws.csv.cell("-5"), "-5")
    assert_eq(sws.csv.cell("-0.25"), "-0.25")
end)

test("cell quotes only what needs quoting", function()
    assert_eq(sws.csv.cell("温州 a=b"), "温州 a=b")
    assert_eq(sws.csv.cell("a,b"), '"a,b"')
    assert_eq(sws.csv.cell("line\nbreak"), '"line\nbreak"')
    assert_eq(sws.csv.cell('say "hi"'), '"say ""hi"""')
end)

test("cell writes numbers, booleans and nothing", function()
    assert_eq(sws.csv.cell(4.0), "4")
    assert_eq(sws.csv.cell(-3), "-3")
    assert_eq(sws.csv.cell(2.5), "2.5")
    assert_eq(sws.csv.cell(true), "1")
    assert_eq(sws.csv.cell(false), "0")
    assert_eq(sws.csv.cell(nil), "")
    assert_eq(sws.csv.cell(sws.json.null), "")
    assert_error(function() sws.csv.cell({}) end, "string, number, boolean or nil expected")
end)
