"""Figures over a coded corpus: agreement between coders, code matrices, co-occurrence,
frequencies. Plain functions over store records; never Textual."""
