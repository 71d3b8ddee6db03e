revision = 'lock_is_ignored'
