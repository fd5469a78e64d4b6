"""Full screens of the reader: the panes, the lists, the codebook, help and the report."""
