"""The benchmark behind `make bench`: pages, admin, import and publishing against the floor."""
