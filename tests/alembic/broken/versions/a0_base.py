"""base"""
revision = 'a0'
down_revision = None
