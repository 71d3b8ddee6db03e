"""cycle two"""
revision = 'y6'
down_revision = 'x5'
