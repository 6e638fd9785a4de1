from sandboxes.common.app import serve
from sandboxes.midtrans.platform import Midtrans

if __name__ == "__main__":
    serve(Midtrans(), Midtrans.defaults)
