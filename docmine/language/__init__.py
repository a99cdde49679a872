"""Language tools every stage shares: the spaCy pipeline and its parse memo (nlp), sentence
embeddings (embed), the force-cue lexicon (cues) and word overlap (overlap)."""
