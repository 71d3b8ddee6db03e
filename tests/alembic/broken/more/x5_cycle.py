"""cycle one"""
revision = 'x5'
down_revision = 'y6'
