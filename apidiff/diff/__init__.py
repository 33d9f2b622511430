"""Match and classify: pairs old and new elements and turns rule hits into changes."""
