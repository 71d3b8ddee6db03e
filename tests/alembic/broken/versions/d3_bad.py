"""bad id"""
revision = 'd3-bad'
down_revision = 'c2'
