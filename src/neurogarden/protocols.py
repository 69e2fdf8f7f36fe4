from neurogarden.kap.protocol import check_all as check_all  # `kb check` hook
