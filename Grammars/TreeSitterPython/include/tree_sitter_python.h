typedef struct TSLanguage TSLanguage; const TSLanguage *tree_sitter_python(void);
