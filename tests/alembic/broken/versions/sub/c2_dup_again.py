"""second with this id, in a subfolder"""
revision = 'c2'
down_revision = 'a0'
