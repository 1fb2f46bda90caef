"""HoloViews figures shared by notebooks, dashboards and reports."""
