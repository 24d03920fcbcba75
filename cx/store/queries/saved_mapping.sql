SELECT mapping FROM saved_mappings WHERE shape = $shape
