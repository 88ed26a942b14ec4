"""Sample dossiers for the 申报材料 pipeline and the generator that writes them."""
