#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the host-side Python unit tests and end with 'N passed, N failed'."""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
tests = os.path.join(here, "..", "tests")
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "tools"))

suite = unittest.defaultTestLoader.discover(tests, pattern="test_*.py",
                                            top_level_dir=tests)
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
print(f"python: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
