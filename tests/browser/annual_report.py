#!/usr/bin/python3
"""annual_report.py — opens an annual HTML report from disk in headless
Chromium (Debian's chromium + chromium-driver, driven by python3-selenium),
finds its charts and tables by id, checks that the charts have drawn marks
and the tables rows, that the browser logged no console error and that no
request left the machine, and saves a full-page screenshot.

usage: annual_report.py REPORT.html SCREENSHOT.png
Prints the screenshot's path and its size in pixels; exits 1 on a failure.
"""
import os
import struct
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHARTS = ["chart-score-distribution", "chart-staffing", "chart-service-mix", "chart-funding"]
TABLES = ["table-evaluation", "table-findings", "table-staffing", "table-services",
          "table-linkage", "table-funding", "table-clients", "table-changes"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG file")
    return struct.unpack(">II", head[16:24])


def main():
    if len(sys.argv) != 3:
        fail("usage: annual_report.py REPORT.html SCREENSHOT.png")
    report, shot = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-proxy-server", "--proxy-bypass-list=*", "--window-size=1240,1754",
              "--force-device-scale-factor=1", "--lang=zh-CN"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        driver.get("file://" + report)
        title = driver.find_element(By.ID, "report-title").text
        if "年度" not in title:
            fail("the title reads %r" % title)
        for cid in CHARTS:
            el = driver.find_element(By.ID, cid)
            if el.tag_name.lower() != "svg":
                fail("%s is a <%s>, not an <svg>" % (cid, el.tag_name))
            marks = el.find_elements(By.CSS_SELECTOR, "rect")
            if len(marks) < 2:
                fail("%s draws %d marks" % (cid, len(marks)))
            size = el.size
            if size["width"] < 300 or size["height"] < 80:
                fail("%s is drawn %dx%d px" % (cid, size["width"], size["height"]))
        for tid in TABLES:
            rows = driver.find_element(By.ID, tid).find_elements(By.CSS_SELECTOR, "tbody tr")
            if not rows:
                fail("%s has no rows" % tid)
        # resources fetched other than the file itself (nothing may leave the machine)
        others = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        if others:
            fail("the report fetched %s" % others)
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        if errors:
            fail("console errors: %s" % errors)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1240, min(int(height) + 40, 16000))
        if not driver.save_screenshot(shot):
            fail("no screenshot saved")
    finally:
        driver.quit()
    w, h = png_size(shot)
    print("screenshot: %s (%dx%d px)" % (shot, w, h))
    print("charts found: %s" % ", ".join(CHARTS))
    print("tables found: %s" % ", ".join(TABLES))


if __name__ == "__main__":
    main()
