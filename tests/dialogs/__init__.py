"""Tests of the pure core: rules, flow, engine, places, content, handoff signals."""
