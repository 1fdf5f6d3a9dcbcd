"""The benchmarks (`make bench`) and their configuration: settings, URLs and content generator."""
