revision = 'init_is_ignored'
