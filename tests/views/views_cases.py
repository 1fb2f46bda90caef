"""Municipality ids of the tiny dashboard fixtures (imported by the tests of this folder)."""

A, B, C = "UA00000000000000001", "UA00000000000000002", "UA00000000000000003"
