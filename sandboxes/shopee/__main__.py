from sandboxes.common.app import serve
from sandboxes.shopee.platform import Shopee

if __name__ == "__main__":
    serve(Shopee(), Shopee.defaults)
