"""The book's studies: the classifier-data and super-resolution studies of the
applications chapter, the post-hoc critic and the recipes of the challenges chapter,
and the quadrature of the minimax chapter."""
