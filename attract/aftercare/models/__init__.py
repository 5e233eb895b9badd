"""Care after the sale: one module per concern, so that care plans and promises (care) and
departures, surveys and testimonials (why customers leave) grow side by side."""
