"""first with this id"""
revision = 'c2'
down_revision = 'a0'
